"""The sample data set (marked as sample): listings, leads and introductions for the nine cities."""
