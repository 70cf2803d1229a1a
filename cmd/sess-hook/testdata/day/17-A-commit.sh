# A real commit in the api repository, as the agent makes it.
printf 'package src\n' > "$API/src/ratelimit.go"
git -C "$API" add -A
git -C "$API" -c user.name=Dev -c user.email=dev@example.com commit -q -m "feat: rate limit the login endpoint"
