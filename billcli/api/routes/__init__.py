"""The API's routes, one module per domain as in `services/`; `app.routes()` lists them."""
