"""Services: the use cases, composing the pure core with repositories, queue and clock."""
