# The transcripts Claude Code keeps: A2's conversation, and the one resumed
# from it under a new id, which copies its rows (their uuids kept, the new
# id stamped on them, as Claude Code 2.1 does).
dir="$HOME/.claude/projects/x"
mkdir -p "$dir"
row() { printf '{"type":"%s","uuid":"%s","parentUuid":%s,"sessionId":"%s","timestamp":"2026-12-06T10:0%s:00.000Z","message":{"role":"%s","content":"%s"}}\n' "$@"; }
{
  row user 11111111-1111-4111-8111-111111111111 null aaaa2222-0000-4000-8000-000000000002 1 user "Now the token refresh"
  row assistant 22222222-2222-4222-8222-222222222222 '"11111111-1111-4111-8111-111111111111"' aaaa2222-0000-4000-8000-000000000002 2 assistant "The refresh loop is written."
} > "$dir/aaaa2222-0000-4000-8000-000000000002.jsonl"
# The resumed file is made later, by the file system's clock, which is
# coarser than a shell's pace.
probe="$dir/.probe"
while :; do
  : > "$probe"
  later=$(stat -c %.9Y "$probe")
  rm -f "$probe"
  [ "$later" \> "$(stat -c %.9Y "$dir/aaaa2222-0000-4000-8000-000000000002.jsonl")" ] && break
done
sed 's/aaaa2222-0000-4000-8000-000000000002/aaaa3333-0000-4000-8000-000000000003/' "$dir/aaaa2222-0000-4000-8000-000000000002.jsonl" > "$dir/aaaa3333-0000-4000-8000-000000000003.jsonl"
