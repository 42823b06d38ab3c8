package pekkochat.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The node's idle timeout for plain HTTP connections: one node-wide check, where Pekko HTTP's
 * {@code pekko.http.server.idle-timeout} arms a timer per connection that fires every second
 * (Pekko caps its check interval, timeout / 8, at 1 s): 10,000 wake-ups a second, about 0.1 cores,
 * for 10,000 idle sockets (docs/performance.md). Pekko's is therefore off (infinite), and this
 * takes its place.
 *
 * <p>A connection is idle when no request is being answered and none arrived for
 * {@code timeout}, including one that never finished sending its first request. It is then
 * closed: its response stream completes, so Pekko closes it after the last response. A connection
 * upgraded to a WebSocket leaves the check at its {@code 101}: its socket's own idle timeout, close
 * grace and abort bound it from there (docs/websocket-frames.md).
 */
public final class IdleConnections {
  private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
  private final long timeoutNanos;

  public IdleConnections(ActorSystem<?> system, Duration timeout, Duration checkInterval) {
    this.timeoutNanos = timeout.toNanos();
    system.scheduler().scheduleAtFixedRate(checkInterval, checkInterval, this::closeIdle, system.executionContext());
  }

  /** {@code handler}, materialized once per connection, with that connection under the check. */
  public Flow<HttpRequest, HttpResponse, NotUsed> watching(Flow<HttpRequest, HttpResponse, ?> handler) {
    return BidiFlow.fromGraph(new WatchStage()).join(handler);
  }

  /** Connections under the check now: plain HTTP ones, not WebSockets. */
  int watchedCount() {
    return watched.size();
  }

  private void closeIdle() {
    long now = System.nanoTime();
    for (Watch w : watched) {
      if (w.idleSince(now) >= timeoutNanos) w.close.invoke(Done.getInstance());
    }
  }

  /** What the check sees of one connection; written by its stage and by its response bodies. */
  private static final class Watch {
    private final AtomicInteger busy = new AtomicInteger();
    private volatile long lastActiveNanos = System.nanoTime();
    private final AsyncCallback<Done> close;

    Watch(AsyncCallback<Done> close) {
      this.close = close;
    }

    void started() {
      busy.incrementAndGet();
      lastActiveNanos = System.nanoTime();
    }

    void finished() {
      lastActiveNanos = System.nanoTime();
      busy.decrementAndGet();
    }

    long idleSince(long now) {
      return busy.get() > 0 ? 0 : now - lastActiveNanos;
    }
  }

  /** in1: requests from the client; out1: to the handler; in2: its responses; out2: to the client. */
  private final class WatchStage extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {
    private final Inlet<HttpRequest> requestsIn = Inlet.create("IdleConnections.requestsIn");
    private final Outlet<HttpRequest> requestsOut = Outlet.create("IdleConnections.requestsOut");
    private final Inlet<HttpResponse> responsesIn = Inlet.create("IdleConnections.responsesIn");
    private final Outlet<HttpResponse> responsesOut = Outlet.create("IdleConnections.responsesOut");
    private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
        BidiShape.of(requestsIn, requestsOut, responsesIn, responsesOut);

    @Override
    public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new GraphStageLogic(shape) {
        private Watch watch;

        {
          setHandler(requestsIn, new AbstractInHandler() {
            @Override
            public void onPush() {
              watch.started();
              push(requestsOut, grab(requestsIn));
            }

            @Override
            public void onUpstreamFinish() {
              complete(requestsOut);
            }
          });
          setHandler(requestsOut, new AbstractOutHandler() {
            @Override
            public void onPull() {
              pull(requestsIn);
            }

            @Override
            public void onDownstreamFinish(Throwable cause) {
              cancel(requestsIn, cause);
            }
          });
          setHandler(responsesIn, new AbstractInHandler() {
            @Override
            public void onPush() {
              push(responsesOut, answered(grab(responsesIn)));
            }

            @Override
            public void onUpstreamFinish() {
              complete(responsesOut);
            }
          });
          setHandler(responsesOut, new AbstractOutHandler() {
            @Override
            public void onPull() {
              pull(responsesIn);
            }

            @Override
            public void onDownstreamFinish(Throwable cause) {
              cancel(responsesIn, cause);
            }
          });
        }

        @Override
        public void preStart() {
          watch = new Watch(createAsyncCallback(done -> {
            if (watch.idleSince(System.nanoTime()) >= timeoutNanos) completeStage();
          }));
          watched.add(watch);
        }

        @Override
        public void postStop() {
          watched.remove(watch);
        }

        /** The request is answered once its body is written; a WebSocket leaves the check. */
        private HttpResponse answered(HttpResponse response) {
          if (response.status().equals(StatusCodes.SWITCHING_PROTOCOLS)) {
            watched.remove(watch);
            return response;
          }
          ResponseEntity entity = response.entity();
          if (entity.isStrict()) {
            watch.finished();
            return response;
          }
          Source<ByteString, Object> body = entity.getDataBytes().watchTermination((mat, written) -> {
            written.whenComplete((done, failure) -> watch.finished());
            return mat;
          });
          ResponseEntity watchedEntity = entity.getContentLengthOption().isPresent()
              ? HttpEntities.create(entity.getContentType(), entity.getContentLengthOption().getAsLong(), body)
              : HttpEntities.createChunked(entity.getContentType(), body);
          return response.withEntity(watchedEntity);
        }
      };
    }
  }
}
