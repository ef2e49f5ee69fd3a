/**
 * An instance type that a SageMaker training plan can reserve.
 *
 * Training plans cover a short, fixed list of accelerated types
 * (`ReservedCapacityInstanceType` in the service model). Naming them as
 * constants lets the compiler, rather than a failed purchase, catch a type the
 * service would refuse; `of()` exists for types added to the service after this
 * library was released, and is checked at synth against the known list unless
 * the name is a token.
 */
export class ReservedInstanceType {
  /** ml.p4d.24xlarge: 8 x NVIDIA A100 40 GB. */
  public static readonly P4D_24XLARGE = new ReservedInstanceType('ml.p4d.24xlarge');
  /** ml.p4de.24xlarge: 8 x NVIDIA A100 80 GB. */
  public static readonly P4DE_24XLARGE = new ReservedInstanceType('ml.p4de.24xlarge');
  /** ml.p5.4xlarge: 1 x NVIDIA H100. */
  public static readonly P5_4XLARGE = new ReservedInstanceType('ml.p5.4xlarge');
  /** ml.p5.48xlarge: 8 x NVIDIA H100. */
  public static readonly P5_48XLARGE = new ReservedInstanceType('ml.p5.48xlarge');
  /** ml.p5e.48xlarge: 8 x NVIDIA H200. */
  public static readonly P5E_48XLARGE = new ReservedInstanceType('ml.p5e.48xlarge');
  /** ml.p5en.48xlarge: 8 x NVIDIA H200 with faster networking. */
  public static readonly P5EN_48XLARGE = new ReservedInstanceType('ml.p5en.48xlarge');
  /** ml.p6-b200.48xlarge: 8 x NVIDIA B200. */
  public static readonly P6_B200_48XLARGE = new ReservedInstanceType('ml.p6-b200.48xlarge');
  /** ml.p6-b300.48xlarge: 8 x NVIDIA B300. */
  public static readonly P6_B300_48XLARGE = new ReservedInstanceType('ml.p6-b300.48xlarge');
  /** ml.p6e-gb200.36xlarge: NVIDIA GB200 superchips. */
  public static readonly P6E_GB200_36XLARGE = new ReservedInstanceType('ml.p6e-gb200.36xlarge');
  /** ml.trn1.32xlarge: 16 x AWS Trainium. */
  public static readonly TRN1_32XLARGE = new ReservedInstanceType('ml.trn1.32xlarge');
  /** ml.trn2.48xlarge: 16 x AWS Trainium2. */
  public static readonly TRN2_48XLARGE = new ReservedInstanceType('ml.trn2.48xlarge');

  /**
   * An instance type by its SageMaker name, e.g. `ml.p5.48xlarge`.
   *
   * The name is validated at synth (see `validateReservation`): a name outside
   * the reservable list fails there, before anything is bought.
   */
  public static of(name: string): ReservedInstanceType {
    return new ReservedInstanceType(name);
  }

  /** The SageMaker instance type name, e.g. `ml.p5.48xlarge`. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }

  /** The SageMaker name, so the type can be used where a string is expected. */
  public toString(): string {
    return this.name;
  }
}
