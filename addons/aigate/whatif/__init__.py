"""What-if tools: what a policy edit would change, decided by the same code the proxy runs
(`aigate.verdict`): `diff` of two policies over the catalog, `replay` of recorded requests."""
