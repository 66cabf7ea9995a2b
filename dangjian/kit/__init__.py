"""The toolkit every app uses: it imports only Django, third-party libraries and ``dangjian.policy``."""
