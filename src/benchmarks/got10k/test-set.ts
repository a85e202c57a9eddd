/**
 * The GOT-10k test set as its server scores it: 180 sequences `GOT-10k_Test_000001`..`000180`,
 * with these frame counts (22,834 frames). The server withholds the ground truth, but every
 * submission must have exactly one box per frame, so the counts are built in (read from published
 * results in the server's layout, identical in two independent runs), letting a submission be
 * checked without the images.
 */
export const GOT10K_TEST_FRAMES: readonly number[] = [
  100, 80, 80, 71, 68, 100, 100, 100, 97, 100, 65, 80, 70, 80, 80, 70, 80, 90, 80, 100, 65, 100, 100, 100, 90, 90, 100, 100, 100, 100, 100,
  100, 51, 70, 80, 90, 100, 100, 100, 110, 90, 100, 100, 100, 100, 100, 100, 100, 90, 80, 99, 70, 70, 80, 90, 100, 100, 90, 68, 120, 99,
  100, 88, 250, 91, 120, 91, 101, 111, 161, 91, 101, 91, 111, 101, 101, 130, 80, 140, 101, 101, 81, 81, 66, 210, 150, 96, 70, 130, 100, 280,
  920, 101, 81, 100, 99, 83, 81, 91, 90, 90, 100, 71, 100, 100, 101, 78, 101, 71, 70, 310, 97, 100, 110, 140, 160, 350, 71, 71, 200, 190,
  100, 101, 81, 71, 81, 71, 81, 121, 121, 111, 81, 291, 311, 151, 175, 350, 220, 151, 141, 101, 220, 81, 301, 241, 131, 171, 116, 181, 491,
  251, 181, 91, 91, 311, 130, 241, 211, 101, 361, 211, 101, 131, 681, 201, 71, 101, 81, 91, 91, 90, 81, 81, 89, 91, 101, 101, 121, 91, 80,
];

export const got10kTestName = (i: number) => `GOT-10k_Test_${String(i + 1).padStart(6, '0')}`;
