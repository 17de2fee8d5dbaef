"""Official reference data: Westminster constituencies and MPs (parliament), the hex map of
seats (mp_map), DfE placement statistics (placements) and the shipped tables they read."""
