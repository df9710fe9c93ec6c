"""Recommendations computed ahead: every live listing's best counterparts, stored for pages."""
