-- POST /cart/items (read an attribute of the session, write it back), or with CART=read
-- GET /cart (read it only), with the session cookies in $COOKIES, one file line each. Each wrk thread takes its own half of them in
-- turn, so that, as with real users, one session rarely has two requests in flight.
local cookies = {}
for line in io.lines(os.getenv("COOKIES")) do cookies[#cookies + 1] = line end
local method, path = "POST", "/cart/items"
if os.getenv("CART") == "read" then method, path = "GET", "/cart" end
local threads = 0

setup = function(thread)
	thread:set("first", threads)
	threads = threads + 1
end

local n = 0

request = function()
	local share = math.floor(#cookies / 2)
	n = n + 1
	return wrk.format(method, path, { ["Cookie"] = cookies[first * share + (n % share) + 1] }, "")
end
