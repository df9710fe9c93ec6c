"""Technology-achievement auctions (科技成果竞价): sessions, lots, bidders, live bids."""
