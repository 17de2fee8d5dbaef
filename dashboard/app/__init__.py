"""The Streamlit app's own modules: the shared cache and viewer (app_data), rendering helpers
(ui), and the charts built once per refresh. With pages/ and streamlit_app.py, the only code
that imports Streamlit."""
