/**
 * How many uplink messages the embedded broker holds in hand (received, not
 * yet handled) per vehicle and in bytes overall, and whether a vehicle may go
 * on sending while one of its messages is being stored.
 *
 * aedes 1.x writes a message's PUBACK after `authorizePublish` calls back and
 * reads no further packet of that vehicle until then. The broker calls back
 * at once — an early PUBACK, and the vehicle's next message can arrive while
 * this one is stored — when `take` says the vehicle may go on; otherwise only
 * after the message is handled, so TCP holds the vehicle back. A vehicle
 * learns that a chunk is stored from its `chunk-ack`, never from the PUBACK
 * (docs/protocol.md), so answering early loses nothing on a crash: without a
 * `chunk-ack` the vehicle sends the chunk again.
 *
 * @example const go = admission.take(client, bytes); … admission.done(client, bytes);
 */
export class UplinkAdmission<K extends object> {
  private readonly held = new WeakMap<K, number>();
  private heldBytes = 0;
  private heldMessages = 0;

  /**
   * @param perVehicle messages of one vehicle in hand at once; the one that
   *   reaches it is answered only once it is handled (1 = never early).
   * @param maxBytes bytes in hand over all vehicles beyond which no message
   *   is answered early.
   */
  constructor(private readonly perVehicle: number, private readonly maxBytes: number) {
    if (!Number.isInteger(perVehicle) || perVehicle < 1) throw new RangeError(`uplink admission: perVehicle must be an integer ≥ 1, got ${perVehicle}`);
    if (!(maxBytes > 0)) throw new RangeError(`uplink admission: maxBytes must be positive, got ${maxBytes}`);
  }

  /** Takes a message of `bytes` from `vehicle` in hand; true when its PUBACK may go before it is handled. */
  take(vehicle: K, bytes: number): boolean {
    const n = (this.held.get(vehicle) ?? 0) + 1;
    this.held.set(vehicle, n);
    this.heldBytes += bytes;
    this.heldMessages++;
    return n < this.perVehicle && this.heldBytes <= this.maxBytes;
  }

  /** The message taken with the same arguments is handled. */
  done(vehicle: K, bytes: number): void {
    const n = (this.held.get(vehicle) ?? 0) - 1;
    if (n > 0) this.held.set(vehicle, n);
    else this.held.delete(vehicle);
    this.heldBytes -= bytes;
    this.heldMessages--;
  }

  /** Messages and bytes in hand now. */
  get inHand(): { messages: number; bytes: number } {
    return { messages: this.heldMessages, bytes: this.heldBytes };
  }
}
