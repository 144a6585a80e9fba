"""Shared Streamlit code of the dashboard: the database connection and cached data
access (`ui.data`), login and the sidebar context (`ui.session`), plotly figure builders
(`ui.figures`, pure functions) and Chinese labels and number formats (`ui.fmt`)."""
