"""batterydb's version and one-line description, in a module of its own so that any module can
import them without importing the package."""

__version__ = "0.1.0"

#: What batterydb holds, in one line, wherever the database describes itself (Spark's database comment, the site).
DESCRIPTION = ("batterydb: the electric-vehicle battery industry's organisations, plants, capacities, stakes, "
               "deals and targets, each fact with its source.")
