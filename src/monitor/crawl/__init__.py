"""Running a crawl: the child process, and which URLs a program may read."""
