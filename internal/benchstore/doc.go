// Package benchstore writes synthetic stores for benchmarks: a complete
// dashboard folder (config.json, sessions/<id>.json, sessions/_index.json,
// projects/<slug>.json) in exactly the on-disk form of the original Python
// claude-sessions-dashboard, schema version 4.
//
// The rule it keeps: the same Options (Seed and Now included) give the same
// bytes, and every byte is one the original could have written itself —
// json.dump(indent=2, ensure_ascii=False) plus a newline, timestamps as
// datetime.now(UTC).isoformat(), ids sess_YYYYMMDDTHHMM_xxxx naming the UTC
// minute the session started in. The store is written fast and without fsync:
// it is scratch data, not a user's records.
//
// It imports nothing of sess and names the store's files itself, in the
// original's layout, rather than asking pkg/store; it only ever writes into
// a folder that holds no store yet (Generate refuses one that does). Only
// the benchmark programs under bench/ use it.
package benchstore
