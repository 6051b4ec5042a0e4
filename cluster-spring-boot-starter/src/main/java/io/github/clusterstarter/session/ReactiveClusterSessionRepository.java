package io.github.clusterstarter.session;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.session.ReactiveSessionRepository;

/**
 * The cluster's sessions for WebFlux: the same files as for servlet applications, read
 * and written off the event loop.
 */
public class ReactiveClusterSessionRepository implements ReactiveSessionRepository<ClusterSession> {

	private final ClusterSessionRepository sessions;

	/**
	 * Create a repository.
	 * @param sessions the cluster's sessions
	 */
	public ReactiveClusterSessionRepository(ClusterSessionRepository sessions) {
		this.sessions = sessions;
	}

	@Override
	public Mono<ClusterSession> createSession() {
		return Mono.fromSupplier(this.sessions::createSession);
	}

	@Override
	public Mono<Void> save(ClusterSession session) {
		return Mono.<Void>fromRunnable(() -> this.sessions.save(session)).subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public Mono<ClusterSession> findById(String id) {
		return Mono.fromCallable(() -> this.sessions.findById(id)).subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public Mono<Void> deleteById(String id) {
		return Mono.<Void>fromRunnable(() -> this.sessions.deleteById(id)).subscribeOn(Schedulers.boundedElastic());
	}

}
