package io.github.clusterstarter.primary;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a method, typically a {@code @Scheduled} job, on the primary worker only; on every
 * other worker a call does nothing and returns {@code null}. Exactly one ready worker is
 * primary; when it exits, hangs or is replaced, the role moves to another worker. Use it
 * on methods that return {@code void}. On a type, it applies to all its public methods.
 * In an application that does not run as a cluster, the single process is the primary.
 *
 * @see ClusterPrimary
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PrimaryWorkerOnly {

}
