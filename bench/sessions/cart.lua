-- POST /cart/items (read an attribute, write it back) with one of the session cookies in
-- bench/out/session-cookies.txt, a different one for each request in turn
local cookies = {}
for line in io.lines(os.getenv("COOKIES")) do cookies[#cookies + 1] = line end
local n = 0

request = function()
	n = n + 1
	return wrk.format("POST", "/cart/items", { ["Cookie"] = cookies[(n % #cookies) + 1] }, "")
end
