"""Personal data: masking of contact names and mobile numbers, and who may see them."""
