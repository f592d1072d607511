/**
 * A Dynamo operator release. Rules that the operator enforces from a given release on
 * (admission, command forms) apply when the user's release is at least that one.
 */
export class DynamoRelease {
  /** Dynamo 0.8. */
  public static readonly V0_8 = new DynamoRelease(0, 8);
  /** Dynamo 0.9. */
  public static readonly V0_9 = new DynamoRelease(0, 9);
  /** Dynamo 1.0. */
  public static readonly V1_0 = new DynamoRelease(1, 0);
  /** Dynamo 1.1. */
  public static readonly V1_1 = new DynamoRelease(1, 1);
  /** Dynamo 1.2. */
  public static readonly V1_2 = new DynamoRelease(1, 2);
  /** Dynamo 1.3. */
  public static readonly V1_3 = new DynamoRelease(1, 3);
  /** Dynamo 1.4. */
  public static readonly V1_4 = new DynamoRelease(1, 4);
  /** Dynamo 1.5 (GA 2026-09-18). */
  public static readonly V1_5 = new DynamoRelease(1, 5);
  /** The newest release whose rules the library knows: the default. */
  public static readonly LATEST = DynamoRelease.V1_5;

  /** Every release the library knows, oldest first. */
  public static all(): DynamoRelease[] {
    return [
      DynamoRelease.V0_8, DynamoRelease.V0_9, DynamoRelease.V1_0, DynamoRelease.V1_1,
      DynamoRelease.V1_2, DynamoRelease.V1_3, DynamoRelease.V1_4, DynamoRelease.V1_5,
    ];
  }

  /**
   * A release from `MAJOR.MINOR` (a patch part is accepted and ignored: rules change
   * with minor releases). Throws for a release the library does not know.
   */
  public static of(version: string): DynamoRelease {
    const m = typeof version === 'string' ? /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim()) : null;
    const found = m ? DynamoRelease.all().find((r) => r.major === Number(m[1]) && r.minor === Number(m[2])) : undefined;
    if (!found) {
      throw new Error(`Dynamo release ${JSON.stringify(version)} is not one the library knows: use one of ${DynamoRelease.all().map((r) => r.version).join(', ')}`);
    }
    return found;
  }

  private readonly text: string;

  private constructor(public readonly major: number, public readonly minor: number) {
    this.text = `${major}.${minor}`;
  }

  /** `MAJOR.MINOR`. */
  public get version(): string {
    return this.text;
  }

  /** Whether this release is `other` or newer. */
  public atLeast(other: DynamoRelease): boolean {
    return this.major > other.major || (this.major === other.major && this.minor >= other.minor);
  }
}
