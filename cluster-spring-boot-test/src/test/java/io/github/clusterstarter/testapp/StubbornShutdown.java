package io.github.clusterstarter.testapp;

import jakarta.annotation.PreDestroy;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;

/**
 * An application whose shutdown never finishes: a {@code @PreDestroy} method that blocks
 * forever, on with {@code --testapp.stubborn-shutdown=true}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("testapp.stubborn-shutdown")
class StubbornShutdown {

	@PreDestroy
	void blockForever() throws InterruptedException {
		System.out.println("testapp: blocking in @PreDestroy");
		Thread.sleep(Long.MAX_VALUE);
	}

}
