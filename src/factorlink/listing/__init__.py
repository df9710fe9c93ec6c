"""What every factor listing shares: search, permissions, masking, create/update/delete.

Each kind (achievement, demand, capital, carrier, expert) has its own folder with the same
file names; their classes are thin subclasses of the ones here.
"""
