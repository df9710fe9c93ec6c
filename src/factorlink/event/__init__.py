"""Factor-linkage events: one-to-one meetings at brokerage days, scheduled and followed to deals."""
