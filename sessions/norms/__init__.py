"""A service's own norms in the product (issue 16, section 4): fit the engine's expected-change
model on the organisation's closed episodes, store it as a versioned TrajectoryModel, choose it
as the model in use (or go back to the published one) and recompute the open episodes' statuses.

Who: the organisation's administrators and team leaders (`may_manage_norms`). What they see is
aggregate only (coefficients, per-meeting means and shares, counts of statuses), never a client.
"""
