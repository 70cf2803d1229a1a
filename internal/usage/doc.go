// Package usage reads what Claude Code's conversations used and cost from
// their transcripts, and sums it into reports: per day, week and month, per
// conversation, per 5-hour billing block, and per sess session, thread and
// project.
//
// It reads the rows ccusage reads, with ccusage's rules, so that its totals
// are ccusage's (npm ccusage 18.0.11, the tool most Claude Code users know):
//
//   - a row counts when it has a timestamp (ISO, UTC, "Z") and a
//     message.usage with input_tokens and output_tokens, and none of the
//     fields ccusage checks has the wrong type; any other row is skipped;
//   - a reply is written as one row per content block, every row repeating
//     its message.id, requestId and usage; it counts once, and so does a
//     row a resumed conversation copied into its new transcript: the first
//     seen of one message.id and requestId counts, transcripts taken in the
//     order of their first timestamp;
//   - a model named "<synthetic>" (rows the harness made) is left out of
//     the per-model figures, and usage.speed "fast" shows as "<model>-fast";
//   - the cost is the row's costUSD (builds before 1.0.9 wrote one) or what
//     the price table gives, as --mode says (auto, calculate, display).
//
// It differs where ccusage is wrong about the bill, in the prices (see
// package prices: 1-hour cache writes and the long-context tier), and it
// names the models it has no price for instead of counting them as free.
//
// It reads transcripts and sess's transcript archive; it writes nothing but
// its summaries in the store's derived folder.
package usage
