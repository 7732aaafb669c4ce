"""Run notebooks with papermill: parameters and their checks, fingerprints, execution, the run lock, the console lines."""
