"""The common library of the Family Service applications.

Calendar, persistence, auth, audit, documents, notifications, scheduling, API conventions and the
GOV.UK web layout: everything both services need, so each service holds only its own domain.
"""
