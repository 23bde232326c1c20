"""Demo content for development, screenshots and benchmarks (`manage.py seed_demo`).

`core` seeds the core site; `data` holds the written texts. Other apps add their own demo content through
the `alliance_seed_demo` hook (see alliance_site.management.commands.seed_demo).
"""
