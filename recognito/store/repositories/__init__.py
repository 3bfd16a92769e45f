"""One repository per area of storage, all inside one unit of work's transaction."""
