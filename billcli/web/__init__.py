"""The portal's web pages: imported only by `portal serve` and the tests, never by the CLI."""
