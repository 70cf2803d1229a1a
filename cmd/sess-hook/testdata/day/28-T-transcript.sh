# What A's transcript gains after its Stop, and a row being written when
# the conversation ends (no newline yet: the archive leaves it).
printf '%s\n%s' \
  '{"type":"user","message":{"role":"user","content":"Thanks, mail the report to ann@example.org"},"uuid":"a3"}' \
  '{"type":"assistant","message":' >> "$HOME/.claude/projects/x/5f1c2a9e-8b3d-4e7a-9c21-0d6b7e4f3a10.jsonl"
