wrk.method = "PUT"
