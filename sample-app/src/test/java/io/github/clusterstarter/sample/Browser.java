package io.github.clusterstarter.sample;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.clusterstarter.test.RawHttp;

/**
 * What a browser does that matters to sessions: it keeps cookies and sends them back. It
 * opens a new connection for every request, so that the kernel picks a worker each time.
 */
final class Browser {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private final int port;

	private final Map<String, String> cookies = new LinkedHashMap<>();

	Browser(int port) {
		this.port = port;
	}

	RawHttp.Response get(String path) throws IOException {
		return send("GET", path, "", "");
	}

	RawHttp.Response post(String path) throws IOException {
		return send("POST", path, "application/json", "");
	}

	RawHttp.Response postForm(String path, String form) throws IOException {
		return send("POST", path, "application/x-www-form-urlencoded", form);
	}

	private RawHttp.Response send(String method, String path, String contentType, String body) throws IOException {
		List<String> headers = this.cookies.isEmpty() ? List.of() : List.of("Cookie: " + String.join("; ",
				this.cookies.entrySet().stream().map((cookie) -> cookie.getKey() + "=" + cookie.getValue()).toList()));
		RawHttp.Response response = RawHttp.send(this.port, method, path, headers, contentType, body);
		for (String setCookie : response.headerValues("Set-Cookie")) {
			String pair = setCookie.split(";", 2)[0];
			int equals = pair.indexOf('=');
			String value = pair.substring(equals + 1);
			if (value.isEmpty() || setCookie.toLowerCase().contains("max-age=0")) {
				this.cookies.remove(pair.substring(0, equals));
			}
			else {
				this.cookies.put(pair.substring(0, equals), value);
			}
		}
		return response;
	}

	/**
	 * Log in with the form of Spring Security's login page and its CSRF token.
	 * @return the response to the login
	 */
	RawHttp.Response logIn(String user, String password) throws IOException {
		return postForm("/login", "username=" + user + "&password=" + password + "&_csrf=" + csrfToken("/login"));
	}

	/**
	 * Log out with the form of Spring Security's logout page and its CSRF token.
	 * @return the response to the logout
	 */
	RawHttp.Response logOut() throws IOException {
		return postForm("/logout", "_csrf=" + csrfToken("/logout"));
	}

	private String csrfToken(String formPath) throws IOException {
		RawHttp.Response page = get(formPath);
		Matcher token = CSRF.matcher(page.body());
		if (page.status() != 200 || !token.find()) {
			throw new AssertionError("No form with a CSRF token at " + formPath + ": " + page);
		}
		return token.group(1);
	}

	String cookie(String name) {
		return this.cookies.get(name);
	}

}
