package io.github.clusterstarter.sample;

/**
 * What another user's code planted in a class data sharing cache would run: hostile tests
 * assert that this line never appears.
 */
public final class PwnedMain {

	private PwnedMain() {
	}

	public static void main(String[] args) {
		System.out.println("PWNED: planted code ran as " + System.getProperty("user.name"));
		System.exit(1);
	}

}
