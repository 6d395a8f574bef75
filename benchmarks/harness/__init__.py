"""Side-by-side benchmark harness for our redun and upstream redun (stdlib only)."""
