package io.github.clusterstarter.master;

/**
 * Which CPUs a worker runs on once it serves ({@code cluster.worker.cpu-affinity}).
 */
public enum CpuAffinity {

	/**
	 * Any of the CPUs the master may use, as the kernel's scheduler moves it.
	 */
	NONE,

	/**
	 * One CPU each: worker N on the Nth of the CPUs the master may use, starting over
	 * when there are more workers than CPUs; every CPU while a worker boots.
	 */
	AUTO

}
