"""The Japanese web console: sign-in, the desk, cases and KPIs, on the services\x27 HTTP APIs."""
