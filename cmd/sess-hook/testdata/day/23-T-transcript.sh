# A's transcript as Claude Code writes it by its first Stop: a prompt with
# a token in it (which the archive must not keep) and the answer.
dir="$HOME/.claude/projects/x"
mkdir -p "$dir"
cat > "$dir/5f1c2a9e-8b3d-4e7a-9c21-0d6b7e4f3a10.jsonl" <<'ROWS'
{"type":"user","message":{"role":"user","content":"Add rate limiting to the login endpoint; deploy with ghp_Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2 ghp_Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2"},"uuid":"a1","sessionId":"5f1c2a9e-8b3d-4e7a-9c21-0d6b7e4f3a10"}
{"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"Rate limiting is in place for the login endpoint."}]},"uuid":"a2","sessionId":"5f1c2a9e-8b3d-4e7a-9c21-0d6b7e4f3a10"}
ROWS
