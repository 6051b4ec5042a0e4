package io.github.clusterstarter.stompapp;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.annotation.SubscribeMapping;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * STOMP over WebSocket with Spring's simple broker on {@code /topic}: a subscription to
 * {@code /app/whoami} answers the worker's id (as text), {@code POST /news?text=} sends to
 * {@code /topic/news} with {@code SimpMessagingTemplate}, and a STOMP {@code SEND} to
 * {@code /app/shout} is sent on to {@code /topic/news} by {@code @SendTo}.
 */
@SpringBootApplication
@EnableWebSocketMessageBroker
public class StompApplication implements WebSocketMessageBrokerConfigurer {

	public static void main(String[] args) {
		SpringApplication.run(StompApplication.class, args);
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		registry.addEndpoint("/ws");
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker("/topic");
		registry.setApplicationDestinationPrefixes("/app");
	}

	@Controller
	static class News {

		private final SimpMessagingTemplate template;

		private final int worker;

		News(SimpMessagingTemplate template, @Value("${cluster.worker.id:0}") int worker) {
			this.template = template;
			this.worker = worker;
		}

		@SubscribeMapping("/whoami")
		String whoami() {
			return Integer.toString(this.worker);
		}

		@PostMapping("/news")
		@ResponseBody
		Map<String, Object> news(@RequestParam String text) {
			this.template.convertAndSend("/topic/news", text);
			return Map.of("worker", this.worker);
		}

		@MessageMapping("/shout")
		@SendTo("/topic/news")
		String shout(String text) {
			return text;
		}

	}

}
