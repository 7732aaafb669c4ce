"""Each claim of the op-ed as data: its evidence, its indicators and its rule; verdicts as of the op-ed and since."""
