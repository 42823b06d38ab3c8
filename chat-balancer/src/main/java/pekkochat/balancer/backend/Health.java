package pekkochat.balancer.backend;

/** Whether a backend is given new sockets and requests. */
public enum Health {
  /** not checked yet: given nothing until its first check passes */
  UNKNOWN,
  UP,
  DOWN
}
