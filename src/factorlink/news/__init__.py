"""Industry news (资讯): collect pages, extract their text, merge duplicates, tag and link them."""
