"""Maintainer tools behind course.py: executing, generating and testing the notebooks."""
