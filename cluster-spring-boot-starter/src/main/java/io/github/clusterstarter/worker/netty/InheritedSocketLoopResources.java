package io.github.clusterstarter.worker.netty;

import java.util.function.Supplier;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The loop resources of a worker's Reactor Netty server: those of the application (from
 * its {@code ReactorResourceFactory}), except that the server's event loops always use
 * the NIO transport and that its server channel is the shared socket inherited on fd 0.
 * The resources belong to the application, which disposes of them; this view disposes of
 * nothing.
 */
class InheritedSocketLoopResources implements LoopResources {

	private final Supplier<LoopResources> resources;

	private final Supplier<? extends Channel> serverChannel;

	/**
	 * Create a new view of loop resources.
	 * @param resources the application's loop resources, looked up when the server binds
	 * @param serverChannel makes the channel on the inherited socket
	 */
	InheritedSocketLoopResources(Supplier<LoopResources> resources, Supplier<? extends Channel> serverChannel) {
		this.resources = resources;
		this.serverChannel = serverChannel;
	}

	@Override
	public <C extends Channel> C onChannel(Class<C> channelType, EventLoopGroup group) {
		if (channelType == ServerSocketChannel.class) {
			return channelType.cast(this.serverChannel.get());
		}
		return this.resources.get().onChannel(channelType, group);
	}

	@Override
	public <C extends Channel> Class<? extends C> onChannelClass(Class<C> channelType, EventLoopGroup group) {
		return this.resources.get().onChannelClass(channelType, group);
	}

	@Override
	public EventLoopGroup onServer(boolean useNative) {
		return this.resources.get().onServer(false);
	}

	@Override
	public EventLoopGroup onServerSelect(boolean useNative) {
		return this.resources.get().onServerSelect(false);
	}

	@Override
	public EventLoopGroup onClient(boolean useNative) {
		return this.resources.get().onClient(useNative);
	}

	@Override
	public boolean daemon() {
		return this.resources.get().daemon();
	}

	@Override
	public void dispose() {
	}

	@Override
	public Mono<Void> disposeLater() {
		return Mono.empty();
	}

}
