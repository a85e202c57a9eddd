/**
 * SiamFC tracking constants (docs/trackers.md, "SiamFC tracking"). The 3-scale set is the published SiamFC-3s; the
 * 5-scale set is the published SiamFC-5s. Both run on the same network and weights.
 */
export interface SiamfcSettings {
  numScales: number;
  /** Scale factors are scaleStep^k for k = -(numScales-1)/2 .. (numScales-1)/2. */
  scaleStep: number;
  /** Multiplies the response of every scale but the centre one. */
  scalePenalty: number;
  /** scale = (1 - scaleLr) + scaleLr * chosen factor. */
  scaleLr: number;
  /** Weight of the cosine (Hann) window in the blended response. */
  windowInfluence: number;
  /** The response map is upsampled by this factor (bicubic) before the peak is located. */
  responseUp: number;
  totalStride: number;
  exemplarSize: number;
  instanceSize: number;
  /** Context margin: p = context * (w + h). */
  context: number;
  /** The search side is kept within [minScale, maxScale] x its initial value. */
  minScale: number;
  maxScale: number;
  /**
   * Search-crop side that converts the peak's displacement to frame pixels (docs/siamfc-tracker.md):
   * 'scaled' = xSize x the chosen scale factor (siamfc-pytorch), 'unscaled' = xSize before the
   * scale choice (the MATLAB tracker_eval.m, which passes round(s_x)), 'damped' = the search side
   * after this frame's damped scale update (siamfc-tf).
   */
  displacement: 'scaled' | 'unscaled' | 'damped';
  /**
   * 'separate': each scale's search crop is sampled from the frame at its own (sub-pixel) window.
   * 'one-crop': the MATLAB make_scale_pyramid.m way: windows on whole pixels with rounded sides
   * (get_subwindow_tracking.m, also for the exemplar), the largest scale's square resized to the
   * resolution at which the smallest scale is instanceSize, and every scale cut from that and
   * resized again.
   */
  pyramid: 'separate' | 'one-crop';
  /**
   * Resampling of crops: 'bilinear' (2 taps, no antialiasing: cv2.INTER_LINEAR's samples) or
   * 'bicubic' (MATLAB imresize: Keys cubic a = -0.5, antialiased when shrinking).
   */
  cropInterpolation: 'bilinear' | 'bicubic';
  /**
   * Upsampling of the response: 'opencv' (cv2.INTER_CUBIC, a = -0.75, edges replicated) or
   * 'matlab' (imresize bicubic, a = -0.5, edges mirrored).
   */
  responseInterpolation: 'opencv' | 'matlab';
}

export const SIAMFC_3S: Readonly<SiamfcSettings> = {
  numScales: 3,
  scaleStep: 1.0375,
  scalePenalty: 0.9745,
  scaleLr: 0.59,
  windowInfluence: 0.176,
  responseUp: 16,
  totalStride: 8,
  exemplarSize: 127,
  instanceSize: 255,
  context: 0.5,
  minScale: 0.2,
  maxScale: 5,
  displacement: 'scaled',
  pyramid: 'separate',
  cropInterpolation: 'bilinear',
  responseInterpolation: 'opencv',
};

export const SIAMFC_5S: Readonly<SiamfcSettings> = {
  ...SIAMFC_3S,
  numScales: 5,
  scaleStep: 1.0255,
  scalePenalty: 0.962,
  scaleLr: 0.34,
  windowInfluence: 0.168,
};
