"""Touchpoint's Airflow DAGs: shared task graph, operators, checks and alerts (airflow-dags/README.md)."""
