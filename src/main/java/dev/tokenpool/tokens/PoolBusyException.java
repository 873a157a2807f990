package dev.tokenpool.tokens;

import dev.tokenpool.persistence.TransientConflictException;

/** The token an activation waited for was gone or changed: the attempt starts afresh. */
final class PoolBusyException extends TransientConflictException {

  PoolBusyException() {
    super("The token waited for was taken by a concurrent request; try again");
  }
}
