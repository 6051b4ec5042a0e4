package io.github.clusterstarter.socket;

/**
 * Memory the C heap holds on to after the JVM freed it.
 */
public final class NativeMemory {

	private NativeMemory() {
	}

	/**
	 * Return the C heap's free memory to the system, where the C library can ({@code malloc_trim}
	 * in glibc; elsewhere this does nothing). The JIT compilers free most of their arenas
	 * after the startup burst, but glibc keeps them mapped.
	 */
	public static void trim() {
		try {
			LibC.get().malloc_trim(0);
		}
		catch (UnsatisfiedLinkError ex) {
			// Not glibc (musl has no malloc_trim): nothing to give back this way
		}
	}

}
