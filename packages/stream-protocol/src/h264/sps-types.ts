/** HRD parameters of a VUI (ITU-T H.264 section E.1.2). */
export interface HrdParameters {
  /** `bit_rate_scale`, 0 to 15. */
  bitRateScale: number;
  /** `cpb_size_scale`, 0 to 15. */
  cpbSizeScale: number;
  /** One entry per coded picture buffer specification, at most 32. */
  cpbSpecifications: {
    /** Bit rate in bits per second: (`bit_rate_value_minus1` + 1) * 2^(6 + `bit_rate_scale`). */
    bitRate: number;
    /** Coded picture buffer size in bits: (`cpb_size_value_minus1` + 1) * 2^(4 + `cpb_size_scale`). */
    cpbSize: number;
    /** `cbr_flag`: constant bit rate. */
    constantBitRate: boolean;
  }[];
  /** `initial_cpb_removal_delay_length_minus1` + 1, in bits. */
  initialCpbRemovalDelayLength: number;
  /** `cpb_removal_delay_length_minus1` + 1, in bits. */
  cpbRemovalDelayLength: number;
  /** `dpb_output_delay_length_minus1` + 1, in bits. */
  dpbOutputDelayLength: number;
  /** `time_offset_length`, in bits. */
  timeOffsetLength: number;
}

/** `bitstream_restriction` fields of a VUI. */
export interface BitstreamRestriction {
  motionVectorsOverPicBoundaries: boolean;
  maxBytesPerPicDenom: number;
  maxBitsPerMbDenom: number;
  log2MaxMvLengthHorizontal: number;
  log2MaxMvLengthVertical: number;
  /** `max_num_reorder_frames`: frames a decoder may have to hold before output. 0 means output in decoding order. */
  maxNumReorderFrames: number;
  /** `max_dec_frame_buffering`: size of the decoded picture buffer the stream needs, in frames. */
  maxDecFrameBuffering: number;
}

/** Video usability information of an SPS (ITU-T H.264 section E.1.1). Absent parts are undefined. */
export interface VuiParameters {
  /** `aspect_ratio_idc`; 255 means the sample aspect ratio is given explicitly. */
  aspectRatioIdc?: number;
  /** Sample (pixel) aspect ratio, from table E-1 or `sar_width`/`sar_height`; undefined when unspecified. */
  sampleAspectRatio?: { width: number; height: number };
  /** `overscan_appropriate_flag`. */
  overscanAppropriate?: boolean;
  /** `video_signal_type` fields. */
  videoSignalType?: {
    videoFormat: number;
    videoFullRange: boolean;
    colourDescription?: { colourPrimaries: number; transferCharacteristics: number; matrixCoefficients: number };
  };
  /** `chroma_sample_loc_type_top_field` and `chroma_sample_loc_type_bottom_field`, 0 to 5. */
  chromaSampleLocation?: { topField: number; bottomField: number };
  /** `timing_info` fields. A frame lasts 2 * `numUnitsInTick` / `timeScale` seconds. */
  timing?: { numUnitsInTick: number; timeScale: number; fixedFrameRate: boolean };
  nalHrd?: HrdParameters;
  vclHrd?: HrdParameters;
  /** `low_delay_hrd_flag`, present only with NAL or VCL HRD parameters. */
  lowDelayHrd?: boolean;
  /** `pic_struct_present_flag`. */
  picStructPresent: boolean;
  bitstreamRestriction?: BitstreamRestriction;
}

/** The fields of an H.264 sequence parameter set (ITU-T H.264 section 7.3.2.1.1) and the sizes derived from them. */
export interface SequenceParameterSet {
  /** `profile_idc`, for example 66 (Baseline), 77 (Main), 100 (High). */
  profileIdc: number;
  /** The byte holding `constraint_set0_flag` (most significant bit) to `constraint_set5_flag` and 2 reserved bits. */
  constraintFlags: number;
  /** `level_idc`: ten times the level number, for example 51 for level 5.1. */
  levelIdc: number;
  /** `seq_parameter_set_id`, 0 to 31. */
  seqParameterSetId: number;
  /** `chroma_format_idc`: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. 1 when the profile does not carry it. */
  chromaFormatIdc: number;
  /** `separate_colour_plane_flag`, only possible with 4:4:4. */
  separateColourPlane: boolean;
  /** Bits per luma sample, 8 to 14. */
  bitDepthLuma: number;
  /** Bits per chroma sample, 8 to 14. */
  bitDepthChroma: number;
  /** `qpprime_y_zero_transform_bypass_flag`. */
  qpprimeYZeroTransformBypass: boolean;
  /** `seq_scaling_matrix_present_flag`. The scaling lists are read and not kept. */
  scalingMatrixPresent: boolean;
  /** `log2_max_frame_num_minus4` + 4, so 4 to 16. */
  log2MaxFrameNum: number;
  /** `pic_order_cnt_type`, 0 to 2. */
  picOrderCntType: number;
  /** `log2_max_pic_order_cnt_lsb_minus4` + 4, only for `picOrderCntType` 0. */
  log2MaxPicOrderCntLsb?: number;
  /** `max_num_ref_frames`, 0 to 16. */
  maxNumRefFrames: number;
  /** `gaps_in_frame_num_value_allowed_flag`. */
  gapsInFrameNumAllowed: boolean;
  /** `frame_mbs_only_flag`: false when the stream may contain field pictures or MBAFF frames. */
  frameMbsOnly: boolean;
  /** `mb_adaptive_frame_field_flag`. */
  mbAdaptiveFrameField: boolean;
  /** `direct_8x8_inference_flag`. */
  direct8x8Inference: boolean;
  /** Coded width in luma samples: 16 times the width in macroblocks. */
  codedWidth: number;
  /** Coded height in luma samples: 16 times the frame height in macroblocks. */
  codedHeight: number;
  /** Frame cropping in luma samples (the crop offsets times CropUnitX or CropUnitY); all 0 without cropping. */
  crop: { left: number; right: number; top: number; bottom: number };
  /** Display width in luma samples: `codedWidth` minus the left and right crop. */
  width: number;
  /** Display height in luma samples: `codedHeight` minus the top and bottom crop. */
  height: number;
  /** `vui_parameters_present_flag`. */
  vuiParametersPresent: boolean;
  /** The VUI, when `vuiParametersPresent`. */
  vui?: VuiParameters;
  /**
   * Frames per second from the VUI timing info (`time_scale` / (2 * `num_units_in_tick`)), or undefined without it.
   * With `fixedFrameRate` false it is a maximum, not the actual rate.
   */
  frameRate?: number;
}
