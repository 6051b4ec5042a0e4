package io.github.clusterstarter.diagnostics;

/**
 * State that lives in each worker's process, that the cluster does not share between
 * workers, and that will therefore diverge between them: found at startup and reported
 * once for the whole cluster.
 *
 * @param what what holds the state
 * @param why what goes wrong when every worker has its own
 * @param fix what to do about it
 */
public record PerProcessState(String what, String why, String fix) {

	/**
	 * Return the finding as one log message.
	 * @return the message
	 */
	public String describe() {
		return "Per-process state: %s. %s. Fix: %s.".formatted(this.what, this.why, this.fix);
	}

}
