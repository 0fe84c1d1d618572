/**
 * Simulated time: sim = anchorSim + (wall - anchorWall) * speed. Changing the speed re-anchors
 * at the current simulated instant, so time never jumps. The persisted form is the simulated
 * instant plus the speed, so a restart resumes where the cloud left off (wall time spent while
 * stopped does not count).
 */
export interface ClockState {
  nowMs: number;
  speed: number;
}

export class SimClock {
  private anchorSim: number;
  private anchorWall: number;
  private currentSpeed: number;

  constructor(
    initial: { nowMs?: number; speed: number },
    private readonly wall: () => number = Date.now,
  ) {
    if (!(initial.speed > 0)) throw new Error(`clock speed must be > 0, got ${initial.speed}`);
    this.anchorWall = wall();
    this.anchorSim = initial.nowMs ?? this.anchorWall;
    this.currentSpeed = initial.speed;
  }

  now(): number {
    return Math.floor(this.anchorSim + (this.wall() - this.anchorWall) * this.currentSpeed);
  }

  speed(): number {
    return this.currentSpeed;
  }

  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`clock speed must be a finite number > 0, got ${speed}`);
    const now = this.now();
    this.anchorWall = this.wall();
    this.anchorSim = now;
    this.currentSpeed = speed;
  }

  /** Jump simulated time forward (tests, demos): never backwards, lifecycles only move on. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`can only advance the clock by ms >= 0, got ${ms}`);
    const now = this.now();
    this.anchorWall = this.wall();
    this.anchorSim = now + ms;
  }

  toJSON(): ClockState {
    return { nowMs: this.now(), speed: this.currentSpeed };
  }
}
