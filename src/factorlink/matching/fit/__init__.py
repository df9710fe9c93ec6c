"""Structured fit (pure): the facts of a factor (`profile`), what a lead's words state (`needs`),
the judges of each criterion (`criteria`, `space`), their words (`words`), and `assess`, which
combines them by the rules of a direction (`config`, loaded from `data/fit.yaml`)."""
